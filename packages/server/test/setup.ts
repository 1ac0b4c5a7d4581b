import 'reflect-metadata';
import { inject } from 'vitest';
import { LOG_DIR_VARIABLE } from './log-capture.js';

// The run's log folder, for this worker and the server processes it starts.
process.env[LOG_DIR_VARIABLE] = inject('logDir');
