import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';
import { UNIT_ORGANISATIONS, type UnitOrganisation } from '../../db/entities';
import { SLUG } from '../common/dto';

const slug = (field: string) => Matches(SLUG, { message: `${field} must be a lower-case id (letters, digits, dashes)` });
const slugs = (field: string) => Matches(SLUG, { each: true, message: `each of ${field} must be a lower-case id (letters, digits, dashes)` });

export class CreateForceDto {
  @ApiProperty({ example: 'surrey', description: 'Id the force is known by in this deployment' }) @slug('id')
  id!: string;

  @ApiProperty({ example: '45', description: 'Home Office force code: the first two digits of every URN the force issues' })
  @IsString() @Matches(/^\d{2}$/, { message: 'code must be the two-digit Home Office force code' })
  code!: string;

  @ApiProperty({ example: 'Surrey Police' }) @IsString() @Length(1, 200)
  name!: string;
}

export class CreateCpsAreaDto {
  @ApiProperty({ example: 'cps-south-east' }) @slug('id')
  id!: string;

  @ApiProperty({ example: 'CPS South East' }) @IsString() @Length(1, 200)
  name!: string;
}

export class CreateUnitDto {
  @ApiProperty({ example: 'surrey-soit', description: 'The team id people and cases carry as `unit`' }) @slug('id')
  id!: string;

  @ApiProperty({ example: 'Surrey SOIT' }) @IsString() @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: UNIT_ORGANISATIONS, description: 'A police unit belongs to a force, a CPS team to an area' }) @IsIn(UNIT_ORGANISATIONS)
  organisation!: UnitOrganisation;

  @ApiPropertyOptional({ example: 'surrey', description: 'The force of a police unit (required for one)' })
  @ValidateIf((_o, v) => v !== undefined) @slug('forceId')
  forceId?: string;

  @ApiPropertyOptional({ example: 'cps-south-east', description: 'The area of a CPS team (required for one)' })
  @ValidateIf((_o, v) => v !== undefined) @slug('areaId')
  areaId?: string;
}

// Whether a unit needs a force or an area depends on what it is: a business rule, refused with 422 by the service.
// null is validated like any value: a PATCH cannot null a required field.
export class UpdateUnitDto {
  @ApiPropertyOptional({ example: 'Surrey SOIT (east)' }) @ValidateIf((_o, v) => v !== undefined) @IsString() @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ description: 'Another force for a police unit no person or case belongs to yet' })
  @ValidateIf((_o, v) => v !== undefined) @slug('forceId')
  forceId?: string;

  @ApiPropertyOptional({ description: 'Another area for a CPS team no person belongs to yet' })
  @ValidateIf((_o, v) => v !== undefined) @slug('areaId')
  areaId?: string;
}

export class UnitServicesDto {
  @ApiProperty({ type: [String], example: ['cps-se-rasso'], description: 'Every CPS team that serves this police unit (replaces the list)' })
  @IsArray() @ArrayMaxSize(100) @ArrayUnique() @slugs('cpsUnits')
  cpsUnits!: string[];
}

export class ListUnitsQuery {
  @ApiPropertyOptional({ description: 'Only this force’s police units' }) @IsOptional() @slug('forceId')
  forceId?: string;

  @ApiPropertyOptional({ description: 'Only this area’s CPS teams' }) @IsOptional() @slug('areaId')
  areaId?: string;
}
