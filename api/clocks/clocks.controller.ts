import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { ReasonDto } from '../common/dto';
import { ChangeDueDateDto, PauseClockDto } from './clocks.dto';
import { ClocksService } from './clocks.service';

/** People's controls over a running deadline: pause and resume with who holds it, move with approval. */
@ApiTags('deadlines')
@ApiBearerAuth()
@Controller('clocks/:id')
export class ClocksController {
  constructor(private readonly clocks: ClocksService) {}

  @Post('pause')
  @HttpCode(200)
  @ApiParam({ name: 'id', example: 'actionPlan.item:6f1c2d3e-0000-4000-8000-000000000000' })
  @Roles('supervisor', 'cps')
  pause(@CurrentPrincipal() principal: Principal, @Param('id') key: string, @Body() dto: PauseClockDto) {
    return this.clocks.pause(principal, key, dto);
  }

  @Post('resume')
  @HttpCode(200)
  @ApiParam({ name: 'id', example: 'actionPlan.item:6f1c2d3e-0000-4000-8000-000000000000' })
  @Roles('supervisor', 'cps')
  resume(@CurrentPrincipal() principal: Principal, @Param('id') key: string, @Body() dto: ReasonDto) {
    return this.clocks.resume(principal, key, dto);
  }

  @Post('due-date')
  @HttpCode(200)
  @ApiParam({ name: 'id', example: 'actionPlan.item:6f1c2d3e-0000-4000-8000-000000000000' })
  @Roles('officer', 'supervisor', 'cps')
  changeDueDate(@CurrentPrincipal() principal: Principal, @Param('id') key: string, @Body() dto: ChangeDueDateDto) {
    return this.clocks.changeDueDate(principal, key, dto);
  }
}
