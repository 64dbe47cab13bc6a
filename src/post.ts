import { runPost } from './action/post-action.js';

await runPost();
