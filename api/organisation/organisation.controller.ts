import { Body, Controller, Get, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { SlugParam } from '../common/params';
import { CreateCpsAreaDto, CreateForceDto, CreateUnitDto, ListUnitsQuery, UnitServicesDto, UpdateUnitDto } from './organisation.dto';
import { OrganisationService } from './organisation.service';

/** The region's forces, CPS areas and units, and which CPS teams serve which police units. */
@ApiTags('organisation')
@ApiBearerAuth()
@Roles('admin')
@Controller()
export class OrganisationController {
  constructor(private readonly organisation: OrganisationService) {}

  @Get('forces')
  @ApiOperation({ summary: 'The police forces of the region, by Home Office code' })
  listForces() {
    return this.organisation.listForces();
  }

  @Post('forces')
  @ApiOperation({ summary: 'Add a force (409 if its id or code is taken)' })
  createForce(@CurrentPrincipal() principal: Principal, @Body() dto: CreateForceDto) {
    return this.organisation.createForce(principal, dto);
  }

  @Get('cps-areas')
  @ApiOperation({ summary: 'The CPS areas of the region' })
  listAreas() {
    return this.organisation.listAreas();
  }

  @Post('cps-areas')
  @ApiOperation({ summary: 'Add a CPS area (409 if its id is taken)' })
  createArea(@CurrentPrincipal() principal: Principal, @Body() dto: CreateCpsAreaDto) {
    return this.organisation.createArea(principal, dto);
  }

  @Get('units')
  @ApiOperation({ summary: 'Police units and CPS teams, with who serves whom' })
  listUnits(@CurrentPrincipal() principal: Principal, @Query() query: ListUnitsQuery) {
    return this.organisation.listUnits(principal, query);
  }

  @Post('units')
  @ApiOperation({ summary: 'Add a police unit of a force or a CPS team of an area' })
  createUnit(@CurrentPrincipal() principal: Principal, @Body() dto: CreateUnitDto) {
    return this.organisation.createUnit(principal, dto);
  }

  @Patch('units/:id')
  @ApiOperation({ summary: 'Rename a unit, or move one nobody belongs to yet' })
  updateUnit(@CurrentPrincipal() principal: Principal, @SlugParam() id: string, @Body() dto: UpdateUnitDto) {
    return this.organisation.updateUnit(principal, id, dto);
  }

  @Put('units/:id/services')
  @ApiOperation({ summary: 'The CPS teams that serve a police unit (replaces the list)' })
  setServices(@CurrentPrincipal() principal: Principal, @SlugParam() id: string, @Body() dto: UnitServicesDto) {
    return this.organisation.setServices(principal, id, dto);
  }
}
