import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsDefined, IsEmail, IsIn, IsISO8601, IsOptional, IsString, IsUUID, Length, Matches, ValidateNested,
} from 'class-validator';
import { OFFENCE_TYPES, type OffenceType } from '../../../workflows/contracts';
import { IsTimestamp } from '../../common/validation';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const CONTACT_PREFERENCES = ['phone', 'email', 'letter', 'in-person', 'via-isva'] as const;

export class OffenceDto {
  @ApiProperty({ enum: OFFENCE_TYPES }) @IsIn(OFFENCE_TYPES)
  type!: OffenceType;

  @ApiProperty() @IsBoolean()
  penetrative!: boolean;

  @ApiProperty({ example: '2026-10-01', format: 'date' }) @Matches(DATE, { message: 'committedFrom must be a date (YYYY-MM-DD)' }) @IsISO8601({ strict: true })
  committedFrom!: string;

  @ApiPropertyOptional({ example: '2026-10-02', format: 'date' }) @IsOptional() @Matches(DATE, { message: 'committedTo must be a date (YYYY-MM-DD)' }) @IsISO8601({ strict: true })
  committedTo?: string;
}

/** How a party is reached: optional, kept with the party (never in a workflow), and redacted from panel packs. */
export class PartyContactDto {
  @ApiPropertyOptional({ example: '1 Synthetic Street, Exampletown EX1 1AA' }) @IsOptional() @IsString() @Length(1, 500)
  address?: string;

  @ApiPropertyOptional({ example: '07700 900000' }) @IsOptional() @IsString() @Matches(/^\+?[0-9 ()-]{6,30}$/, { message: 'phone must be a telephone number (digits, spaces, +, brackets, hyphens)' })
  phone?: string;

  @ApiPropertyOptional({ example: 'someone@example.org' }) @IsOptional() @IsEmail({}, { message: 'email must be an email address' }) @Length(3, 254)
  email?: string;
}

export class VictimDto extends PartyContactDto {
  @ApiProperty({ example: 'Synthetic Victim' }) @IsString() @Length(1, 200)
  name!: string;

  @ApiProperty({ example: '1990-01-01', format: 'date' }) @Matches(DATE, { message: 'dateOfBirth must be a date (YYYY-MM-DD)' }) @IsISO8601({ strict: true })
  dateOfBirth!: string;

  @ApiProperty() @IsBoolean()
  vulnerable!: boolean;

  @ApiProperty({ enum: CONTACT_PREFERENCES }) @IsIn(CONTACT_PREFERENCES)
  contactPreference!: (typeof CONTACT_PREFERENCES)[number];
}

export class SuspectDto extends PartyContactDto {
  @ApiProperty({ example: 'Synthetic Suspect' }) @IsString() @Length(1, 200)
  name!: string;

  @ApiProperty({ example: '1985-05-05', format: 'date' }) @Matches(DATE, { message: 'dateOfBirth must be a date (YYYY-MM-DD)' }) @IsISO8601({ strict: true })
  dateOfBirth!: string;

  @ApiPropertyOptional({ description: 'e.g. PNC id' }) @IsOptional() @IsString() @Length(1, 40)
  nationalId?: string;
}

export class RegisterCaseDto {
  @ApiProperty({ example: '45XY1234526', description: 'Police URN: force code, station, serial, year' })
  @Matches(/^\d{2}[A-Z0-9]{2}\d{5}\d{2}$/, { message: 'urn must be a police URN: 2-digit force, 2-character station, 5-digit serial, 2-digit year (e.g. 45XY1234526)' })
  urn!: string;

  @ApiProperty({ type: OffenceDto }) @IsDefined() @ValidateNested() @Type(() => OffenceDto)
  offence!: OffenceDto;

  @ApiProperty({ example: '2026-11-20T10:00:00Z', format: 'date-time' }) @IsTimestamp()
  reportedAt!: string;

  @ApiProperty({ example: 'surrey-soit' }) @IsString() @Matches(/^[a-z0-9-]{2,64}$/, { message: 'unit must be a team id' })
  unit!: string;

  @ApiProperty({ format: 'uuid', description: 'Officer in case (people directory)' }) @IsUUID()
  officerId!: string;

  @ApiProperty({ type: VictimDto }) @IsDefined() @ValidateNested() @Type(() => VictimDto)
  victim!: VictimDto;

  @ApiProperty({ type: [SuspectDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => SuspectDto)
  suspects!: SuspectDto[];
}
