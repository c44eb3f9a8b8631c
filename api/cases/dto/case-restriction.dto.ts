import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsUUID } from 'class-validator';

export class CaseRestrictionDto {
  @ApiProperty({ description: 'Restrict the case to the officer in case and the people listed; false lifts the restriction' }) @IsBoolean()
  restricted!: boolean;

  @ApiProperty({ type: [String], format: 'uuid', maxItems: 50, description: 'Directory ids granted access (replaces the list); empty when lifting' })
  @IsArray() @ArrayMaxSize(50) @ArrayUnique() @IsUUID('all', { each: true })
  people!: string[];
}
