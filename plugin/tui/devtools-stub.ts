// Stands in for react-devtools-core in the bundle: Ink imports it only when DEV=true, which the plugin never sets.
/** A no-op devtools connection. */
export default { initialize(): void {}, connectToDevTools(): void {} };
