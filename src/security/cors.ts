import type { FastifyInstance } from 'fastify';
import cors from '@fastify/cors';

/**
 * Lets browser clients of other origins call the routes of this scope (only /open311/* registers
 * it): the allow-list from GRIDLOOP_CORS_ORIGINS, no cookies (Open311 clients send API keys), and
 * nothing at all when the list is empty. The rest of the API stays same-origin.
 */
export async function allowCrossOrigin(scope: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  await scope.register(cors, {
    origin: origins.includes('*') ? '*' : [...origins],
    credentials: false,
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'authorization', 'x-api-key'],
    maxAge: 600,
  });
}
