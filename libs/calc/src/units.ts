/**
 * Point units and their conversion on read live with the domain model (libs/domain units.ts), where
 * the registry checks them too; reports import them from here as before.
 */
export { conversion, unitOf, type Quantity, type UnitDefinition } from '@hallwatch/domain';
