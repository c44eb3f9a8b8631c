import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsObject, IsOptional, Matches, ValidateBy, ValidateNested } from 'class-validator';

/** Protobuf JSON bytes: standard or URL-safe base64. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

const isBase64Map = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value)
  && Object.keys(value).length <= 32 && Object.values(value).every((v) => typeof v === 'string' && BASE64.test(v));

/** One Temporal payload as protobuf JSON: metadata values and data in base64. */
export class CodecPayloadDto {
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string', format: 'byte' }, example: { encoding: 'anNvbi9wbGFpbg==' } })
  @IsOptional() @IsObject()
  @ValidateBy({ name: 'isBase64Map', validator: { validate: isBase64Map, defaultMessage: () => 'metadata must map names to base64 strings' } })
  metadata?: Record<string, string>;

  @ApiPropertyOptional({ type: 'string', format: 'byte' }) @IsOptional() @Matches(BASE64, { message: 'data must be base64' })
  data?: string;
}

/** The codec server protocol's body, both ways: `{ payloads: [...] }`; protobuf JSON leaves an empty list out (`{}`). */
export class CodecPayloadsDto {
  @ApiPropertyOptional({ type: [CodecPayloadDto], maxItems: 1000 })
  @IsOptional() @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => CodecPayloadDto)
  payloads?: CodecPayloadDto[];
}
