// Keep the test output readable: the service's request log is silent unless a test asks for it.
process.env.LOG_LEVEL ??= 'silent';
