import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { UuidParam } from '../common/params';
import {
  ArrivalInCustodyDto, BailDto, CourtBailApplicationDto, CourtBailDecisionDto, DetentionReviewDto, ExceptionallyComplexDto, ExtendBailDto, ExtendDetentionDto,
  WarrantOfFurtherDetentionDto,
} from './custody.dto';
import { CustodyService } from './custody.service';

/** Detention in custody (PACE ss.40-44), pre-charge bail and released under investigation (PACE as amended by PCSCA 2022), per suspect. */
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

  @Post('bail/exceptionally-complex')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiOperation({ summary: 'Record the designation as exceptionally complex by a Commander/ACC after consulting the DPP (s.47ZE): court extensions to 18 or 24 months' })
  exceptionallyComplex(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string, @Body() dto: ExceptionallyComplexDto) {
    return this.custody.designateExceptionallyComplex(p, caseId, suspectId, dto);
  }

  @Post('bail/court-application')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiOperation({ summary: "Record the application to a magistrates' court to extend bail beyond 9 months; one made later than the policy's lead time is flagged late" })
  courtApplication(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string, @Body() dto: CourtBailApplicationDto) {
    return this.custody.applyForCourtExtension(p, caseId, suspectId, dto);
  }

  @Post('bail/court-decision')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiOperation({ summary: "Record the court's decision on the application: granted (to a date) or refused" })
  courtDecision(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string, @Body() dto: CourtBailDecisionDto) {
    return this.custody.courtDecision(p, caseId, suspectId, dto);
  }

  @Post('rui')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  rui(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string) {
    return this.custody.rui(p, caseId, suspectId);
  }

  @Post('custody')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiOperation({ summary: 'Record arrival in custody: the detention clock runs 24 hours from the relevant time, reviews at 6 hours then every 9' })
  arrival(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string, @Body() dto: ArrivalInCustodyDto) {
    return this.custody.arrival(p, caseId, suspectId, dto);
  }

  @Post('custody/reviews')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiOperation({ summary: 'Record a review of detention by an Inspector or above: the next falls due 9 hours later' })
  review(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string, @Body() dto: DetentionReviewDto) {
    return this.custody.review(p, caseId, suspectId, dto);
  }

  @Post('custody/extend')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiOperation({ summary: 'Record a Superintendent\u2019s extension of detention to 36 hours, before the 24 hours run out' })
  extendDetention(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string, @Body() dto: ExtendDetentionDto) {
    return this.custody.extendDetention(p, caseId, suspectId, dto);
  }

  @Post('custody/warrant')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiOperation({ summary: 'Record a magistrates\u2019 warrant of further detention, expiring at most 96 hours from the relevant time' })
  warrant(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string, @Body() dto: WarrantOfFurtherDetentionDto) {
    return this.custody.warrant(p, caseId, suspectId, dto);
  }

  @Post('custody/release')
  @HttpCode(200)
  @Roles('officer', 'supervisor')
  @ApiOperation({ summary: 'Release from custody with no further action (a release on bail or under investigation is recorded by those routes)' })
  release(@CurrentPrincipal() p: Principal, @UuidParam() caseId: string, @UuidParam('suspectId') suspectId: string) {
    return this.custody.release(p, caseId, suspectId);
  }
}
