import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';

export class ListEmployeesQueryDto {
  @ApiProperty({ description: 'The connection whose employee mirror to list' })
  @IsString({ message: 'is required' })
  @IsNotEmpty({ message: 'is required' })
  connectionId: string;

  @ApiPropertyOptional({ description: 'Page size (1–500, default 100)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'must be a whole number' })
  @Min(1, { message: 'must be at least 1' })
  @Max(500, { message: 'must be at most 500' })
  limit?: number;

  @ApiPropertyOptional({ description: 'The `next` value of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}
