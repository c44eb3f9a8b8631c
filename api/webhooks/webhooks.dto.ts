import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf } from 'class-validator';
import { WEBHOOK_FILTER } from '../../workflows/contracts/webhooks';
import { SLUG } from '../common/dto';

const present = (_o: unknown, v: unknown) => v !== undefined;
/** An overlap of hours, minutes or seconds (ISO-8601), at most 30 days (P30D). */
const OVERLAP = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;
const FILTER_MESSAGE = 'each event must be a type such as case.decided, or a prefix such as case.* or case.early-advice.*';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://records.force.example/hooks/precharge', description: 'Where events are POSTed (https in production; private, loopback and link-local addresses refused unless the deployment allows them)' })
  @IsString() @Length(8, 2000)
  url!: string;

  @ApiProperty({ example: ['case.*'], description: 'Event types (`case.decided`) or prefixes (`case.*`, `case.early-advice.*`)' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) @Matches(WEBHOOK_FILTER, { each: true, message: FILTER_MESSAGE })
  events!: string[];

  @ApiPropertyOptional({ example: 'Force records system' }) @ValidateIf(present) @IsString() @Length(0, 500)
  description?: string;

  @ApiPropertyOptional({ example: 'surrey', description: 'Only this force\'s cases (a force\'s administrator: always their own force; absent for a regional administrator: every force)' })
  @ValidateIf(present) @Matches(SLUG, { message: 'forceId must be a force id' })
  forceId?: string;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ example: 'https://records.force.example/hooks/precharge' }) @ValidateIf(present) @IsString() @Length(8, 2000)
  url?: string;

  @ApiPropertyOptional({ example: ['case.decided'] })
  @ValidateIf(present) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) @Matches(WEBHOOK_FILTER, { each: true, message: FILTER_MESSAGE })
  events?: string[];

  @ApiPropertyOptional({ example: 'Force records system' }) @ValidateIf(present) @IsString() @Length(0, 500)
  description?: string;
}

export class RotateSecretDto {
  @ApiPropertyOptional({ example: 'PT24H', description: 'How long the previous secret keeps signing beside the new one (ISO-8601, at most P30D; PT0S ends it at once). Default PT24H.' })
  @ValidateIf(present) @IsString() @Matches(OVERLAP, { message: 'overlap must be an ISO-8601 duration such as PT24H' })
  overlap?: string;
}

export class RedeliverDto {
  @ApiProperty({ format: 'uuid', description: 'The event (its CloudEvents `id`, the `webhook-id` header) to replay from: it and every later event the subscription takes' })
  @IsUUID()
  fromEventId!: string;
}

export class ListDeliveriesQuery {
  @ApiPropertyOptional({ enum: ['pending', 'delivered'] }) @IsOptional() @IsIn(['pending', 'delivered'])
  status?: 'pending' | 'delivered';

  @ApiPropertyOptional({ format: 'uuid', description: 'One case\'s deliveries' }) @IsOptional() @IsUUID()
  caseId?: string;

  @ApiPropertyOptional({ default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(100_000)
  page = 1;

  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  pageSize = 50;
}
