import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { UuidParam } from '../common/params';
import { BailDto, ExtendBailDto } from './custody.dto';
import { CustodyService } from './custody.service';

/** Pre-charge bail and released under investigation, per suspect (PACE as amended by PCSCA 2022). */
@ApiTags('bail')
@ApiBearerAuth()
@Controller('cases/:id/suspects/:suspectId')
export class CustodyController {
  constructor(private readonly custody: CustodyService) {}

  @Post('bail')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  bail(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string, @Body() dto: BailDto) {
    return this.custody.bail(p, caseId, suspectId, dto);
  }

  @Post('bail/extend')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  extend(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string, @Body() dto: ExtendBailDto) {
    return this.custody.extendBail(p, caseId, suspectId, dto);
  }

  @Post('rui')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  rui(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string) {
    return this.custody.rui(p, caseId, suspectId);
  }
}
