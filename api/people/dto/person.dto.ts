import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsBoolean, IsEmail, IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf } from 'class-validator';
import { SLUG } from '../../common/dto';
import { ORGANISATIONS, type Organisation, RANKS, type Rank, ROLES, type Role } from '../../../workflows/contracts';

export class CreatePersonDto {
  @ApiProperty({ example: 'DS Alex Example' }) @IsString() @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'alex.example@police.example' }) @IsEmail()
  email!: string;

  @ApiProperty({ enum: ROLES, isArray: true }) @IsArray() @ArrayMinSize(1) @IsIn(ROLES, { each: true })
  roles!: Role[];

  @ApiProperty({ enum: ORGANISATIONS }) @IsIn(ORGANISATIONS)
  organisation!: Organisation;

  @ApiProperty({ enum: RANKS, description: 'Police rank or CPS grade' }) @IsIn(RANKS)
  rank!: Rank;

  @ApiProperty({ example: 'surrey-soit', description: 'Team id: a unit in the directory, which places the person in its force or CPS area' })
  @IsString() @Matches(SLUG, { message: 'unit must be a lower-case team id (letters, digits, dashes)' })
  unit!: string;

  @ApiPropertyOptional({ example: 'surrey', description: "The person's force, if given: must be their unit's (police staff)" })
  @ValidateIf((_o, v) => v !== undefined) @IsString() @Matches(SLUG, { message: 'forceId must be a force id' })
  forceId?: string;

  @ApiPropertyOptional({ example: 'cps-south-east', description: "The person's CPS area, if given: must be their unit's (CPS staff)" })
  @ValidateIf((_o, v) => v !== undefined) @IsString() @Matches(SLUG, { message: 'areaId must be a CPS area id' })
  areaId?: string;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, description: 'Supervisor in the chain escalations climb' })
  @IsOptional() @IsUUID()
  reportsTo?: string | null;
}

// null is validated like any value, so a PATCH cannot null a required field (found by the API fuzzer: a 500).
export class UpdatePersonDto extends PartialType(CreatePersonDto, { skipNullProperties: false }) {
  @ApiPropertyOptional() @ValidateIf((_o, v) => v !== undefined) @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ enum: ['immediate', 'daily-digest'], description: 'Escalations by email as they happen, or one daily digest' })
  @ValidateIf((_o, v) => v !== undefined) @IsIn(['immediate', 'daily-digest'])
  escalationDelivery?: 'immediate' | 'daily-digest';
}
