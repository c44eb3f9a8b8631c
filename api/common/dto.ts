import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';

/** Free text limits: long enough for an MG3 narrative, short enough to refuse a pasted file. */
export const TEXT_MAX = 20_000;

/** Ids people choose and type (a unit, force or CPS area): lower-case letters, digits and dashes. */
export const SLUG = /^[a-z0-9-]{2,64}$/;

export class NoteDto {
  @ApiProperty({ description: 'What was done or decided, and why' }) @IsString() @Length(1, TEXT_MAX)
  note!: string;
}

export class ReasonDto {
  @ApiProperty() @IsString() @Length(1, TEXT_MAX)
  reason!: string;
}
