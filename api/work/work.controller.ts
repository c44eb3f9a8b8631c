import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { WorkService } from './work.service';

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('my-work')
export class WorkController {
  constructor(private readonly work: WorkService) {}

  @Get()
  @Roles('officer', 'supervisor', 'cps')
  @ApiOperation({ summary: 'My work: open reminders and escalations, most urgent first, and the cases waiting for me to act' })
  myWork(@CurrentPrincipal() principal: Principal) {
    return this.work.myWork(principal);
  }
}
