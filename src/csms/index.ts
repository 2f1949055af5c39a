export * from './answers';
export * from './events';
export * from './findings';
export * from './identity-script';
export * from './recorder';
export * from './server';
