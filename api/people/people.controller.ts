import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/principal';
import { uuidParam } from '../common/params';
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
  list(@Query('unit') unit?: string) {
    return this.people.list(unit);
  }

  @Post()
  create(@Body() dto: CreatePersonDto) {
    return this.people.create(dto);
  }

  @Get(':id')
  get(@Param('id', uuidParam()) id: string) {
    return this.people.get(id);
  }

  @Patch(':id')
  update(@Param('id', uuidParam()) id: string, @Body() dto: UpdatePersonDto) {
    return this.people.update(id, dto);
  }
}
