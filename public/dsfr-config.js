// Read by the DSFR script before it starts: React owns the DOM, the DSFR only adds behaviour.
window.dsfr = { mode: "react" };
