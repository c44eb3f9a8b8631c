import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { Roles } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { CodecPayloadsDto, type CodecPayloadDto } from './codec.dto';

export const PAYLOAD_CODEC = Symbol('PAYLOAD_CODEC');

/**
 * The remote codec for Temporal's Web UI and CLI (`/api/codec/decode`, `/api/codec/encode`): the same AES-GCM codec
 * the worker and client use, behind an administrator's token, and audited, because a decoded payload is case data.
 */
@ApiTags('operations')
@ApiBearerAuth()
@ApiHeader({ name: 'X-Namespace', required: false, description: 'Sent by the Temporal UI and CLI; one namespace is served' })
@Roles('admin')
@Controller('codec')
export class CodecController {
  constructor(@Inject(PAYLOAD_CODEC) private readonly codec: PayloadCodec) {}

  @Post('decode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Decrypt Temporal payloads (codec server protocol)' })
  @ApiOkResponse({ type: CodecPayloadsDto })
  decode(@Body() body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    return this.run('decode', body);
  }

  @Post('encode')
  @HttpCode(200)
  @ApiOperation({ summary: 'Encrypt Temporal payloads (codec server protocol)' })
  @ApiOkResponse({ type: CodecPayloadsDto })
  encode(@Body() body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    return this.run('encode', body);
  }

  private async run(direction: 'encode' | 'decode', body: CodecPayloadsDto): Promise<CodecPayloadsDto> {
    let payloads: Payload[];
    try {
      payloads = await this.codec[direction]((body.payloads ?? []).map(fromJson));
    } catch {
      // Wrong key, tampered or truncated ciphertext: the protocol's answer is 400, and nothing about the content.
      throw ApiError.badRequest(`The payloads could not be ${direction}d.`);
    }
    return { payloads: payloads.map(toJson) };
  }
}

function fromJson({ metadata, data }: CodecPayloadDto): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

function toJson({ metadata, data }: Payload): CodecPayloadDto {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
    data: Buffer.from(data ?? []).toString('base64'),
  };
}
