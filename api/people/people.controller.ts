import { Body, Controller, Get, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/principal';
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
  list(@Query('unit') unit?: string, @Query('forceId') forceId?: string, @Query('areaId') areaId?: string) {
    return this.people.list({ unit, forceId, areaId });
  }

  @Post()
  create(@Body() dto: CreatePersonDto) {
    return this.people.create(dto);
  }

  @Get(':id')
  get(@UuidParam() id: string) {
    return this.people.get(id);
  }

  @Patch(':id')
  update(@UuidParam() id: string, @Body() dto: UpdatePersonDto) {
    return this.people.update(id, dto);
  }
}
