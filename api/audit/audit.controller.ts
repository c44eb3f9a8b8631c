import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { AuditService } from './audit.service';
import { AuditQuery } from './dto/audit.query';

/** The audit log for administrators: newest first, by case, person and time. */
@ApiTags('audit')
@ApiBearerAuth()
@Roles('admin')
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: AuditQuery) {
    return this.audit.search(principal, query);
  }
}
