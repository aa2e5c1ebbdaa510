// Version knowledge as data: which releases have which steps, Windows PE versions, kits, USMT
// versions and site features, each table row with the sources it restates (sources.ts), plus the
// comparison helpers the checks use to read them.

export * from './release';
export * from './sources';
export * from './winpe';
export * from './kits';
export * from './usmt';
export * from './steps';
export * from './features';
