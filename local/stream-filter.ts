/**
 * Lambda's event filtering, for the patterns this project uses. The same pattern objects go
 * to the CDK event source mappings, so local and AWS agree on which records a consumer sees.
 * It lives beside the filters, since the failure keeper applies them too.
 */
export { matchesFilter } from '../functions/adapters/dynamo/stream-filters.js';
