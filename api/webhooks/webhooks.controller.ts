import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../auth/principal';
import { UuidParam } from '../common/params';
import { CreateWebhookDto, ListDeliveriesQuery, RedeliverDto, RotateSecretDto, UpdateWebhookDto } from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

/** Subscriptions of other systems to case events, delivered as signed CloudEvents (see the README's consumer's guide). */
@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({ summary: 'Subscribe a URL to case events; the answer holds the signing secret, shown this once (422 for a refused destination)' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateWebhookDto) {
    return this.webhooks.create(principal, dto);
  }

  @Get()
  @ApiOperation({ summary: 'The subscriptions the caller administers, with their health (never a secret)' })
  list(@CurrentPrincipal() principal: Principal) {
    return this.webhooks.list(principal);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One subscription' })
  get(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.webhooks.get(principal, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a subscription\'s URL, events or description' })
  update(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() dto: UpdateWebhookDto) {
    return this.webhooks.update(principal, id, dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a subscription and its queue' })
  remove(@CurrentPrincipal() principal: Principal, @UuidParam() id: string) {
    return this.webhooks.remove(principal, id);
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'A new signing secret (shown this once); the previous one keeps signing beside it for the overlap' })
  rotateSecret(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() dto: RotateSecretDto) {
    return this.webhooks.rotateSecret(principal, id, dto);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'Each event queued for the subscription with every attempt: status code or error, timing' })
  deliveries(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Query() query: ListDeliveriesQuery) {
    return this.webhooks.deliveries(principal, id, query);
  }

  @Post(':id/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send again, in order per case, an event and every later one the subscription takes' })
  redeliver(@CurrentPrincipal() principal: Principal, @UuidParam() id: string, @Body() dto: RedeliverDto) {
    return this.webhooks.redeliver(principal, id, dto);
  }
}
