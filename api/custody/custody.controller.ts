import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { TEXT_MAX } from '../common/dto';
import { UuidParam } from '../common/params';
import { CaseCommandsService } from '../cases/case-commands.service';
import { PeopleLookup } from '../people/people.lookup';
import { IsTimestamp } from '../common/validation';

export class BailDto {
  @ApiProperty({ format: 'date-time', description: 'The bail start date (the 3-month limit runs from here)' }) @IsTimestamp()
  startedAt!: string;

  @ApiPropertyOptional({ description: 'Conditions (stored, never emailed); the victim\u2019s views were sought' }) @IsOptional() @IsString() @Length(1, TEXT_MAX)
  conditions?: string;

  @ApiProperty({ format: 'uuid', description: 'The custody officer who authorised bail' }) @IsUUID()
  authorisedBy!: string;
}

export class ExtendBailDto {
  @ApiProperty({ format: 'uuid', description: 'Who authorised the extension: an Inspector (to 6 months), a Superintendent (to 9 months)' }) @IsUUID()
  authorisedBy!: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Beyond 9 months: the date to which a magistrates\u2019 court extended bail' }) @IsOptional() @IsTimestamp()
  courtOrderedUntil?: string;
}

/** Pre-charge bail and released under investigation, per suspect (PACE as amended by PCSCA 2022). */
@ApiTags('bail')
@ApiBearerAuth()
@Controller('cases/:id/suspects/:suspectId')
export class CustodyController {
  constructor(private readonly commands: CaseCommandsService, private readonly people: PeopleLookup) {}

  @Post('bail')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  async bail(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string, @Body() dto: BailDto) {
    await this.people.assertActive(dto.authorisedBy, 'authorisedBy', 'police');
    return this.commands.send(p, caseId, { type: 'recordBail', suspectId, startedAt: new Date(dto.startedAt).toISOString() }, dto.conditions ? { document: { kind: 'bail-conditions', body: { conditions: dto.conditions } } } : {});
  }

  @Post('bail/extend')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  async extend(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string, @Body() dto: ExtendBailDto) {
    await this.people.assertActive(dto.authorisedBy, 'authorisedBy', 'police');
    return this.commands.send(p, caseId, { type: 'extendBail', suspectId, authorisedById: dto.authorisedBy, courtOrderedUntil: dto.courtOrderedUntil && new Date(dto.courtOrderedUntil).toISOString() }, { named: [dto.authorisedBy] });
  }

  @Post('rui')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  rui(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string) {
    return this.commands.send(p, caseId, { type: 'recordReleaseUnderInvestigation', suspectId });
  }
}
