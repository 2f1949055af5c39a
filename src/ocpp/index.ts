export * from './errors';
export * from './frames';
export * from './messages';
export * from './schemas';
export * from './validator';
export * from './version';
