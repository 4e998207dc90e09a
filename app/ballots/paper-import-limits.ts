/**
 * The largest paper-ballot file the administrators' page takes (the README states it). Outside
 * the `.server` module: the page's form checks it in the browser too.
 */
export const PAPER_IMPORT_MAX_BYTES = 5 * 1024 * 1024;
