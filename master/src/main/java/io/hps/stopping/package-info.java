/** Stopping rules: when a trial's partial learning curve says it is not worth finishing. */
package io.hps.stopping;
