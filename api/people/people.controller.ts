import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { UuidParam } from '../common/params';
import { CreatePersonDto, UpdatePersonDto } from './dto/person.dto';
import { PeopleService } from './people.service';

@ApiTags('people')
@ApiBearerAuth()
@Roles('admin')
@Controller('people')
export class PeopleController {
  constructor(private readonly people: PeopleService) {}

  @Get()
  @ApiQuery({ name: 'unit', required: false })
  @ApiQuery({ name: 'forceId', required: false })
  @ApiQuery({ name: 'areaId', required: false })
  list(@CurrentPrincipal() principal: Principal, @Query('unit') unit?: string, @Query('forceId') forceId?: string, @Query('areaId') areaId?: string) {
    return this.people.list(principal, { unit, forceId, areaId });
  }

  @Post()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreatePersonDto) {
    return this.people.create(principal, dto);
  }

  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.people.get(principal, id);
  }

  @Patch(':id')
  update(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() dto: UpdatePersonDto) {
    return this.people.update(principal, id, dto);
  }
}
