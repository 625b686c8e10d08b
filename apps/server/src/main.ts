import { exitOnStartupError, runServer } from './start.js';

runServer(process.env).catch(exitOnStartupError);
