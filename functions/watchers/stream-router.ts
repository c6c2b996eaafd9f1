/**
 * Lambda entry: the table stream, filtered to what any mail-sending watcher takes, handed
 * to each of those watchers' own functions (invoked synchronously), its own records only.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { lambdaStreamConsumer } from '../adapters/lambda-invoke.js';
import { loadStreamRouterConfig } from '../config.js';
import { observed } from '../observability.js';
import { createStreamRouter, routedConsumers } from './stream-router-handler.js';

const { routes } = loadStreamRouterConfig();
const lambda = new LambdaClient({});

export const handler = observed(createStreamRouter(routedConsumers((name) => lambdaStreamConsumer(lambda, routes[name]))));
