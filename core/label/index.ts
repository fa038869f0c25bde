/** Energy labels (GAISSALabel method): rating engine, record, drawing, text and model card. */
export * from './metrics';
export * from './defaults';
export * from './rating';
export * from './record';
export * from './svg';
export * from './plain-text';
export * from './quantity-format';
export * from './model-card';
