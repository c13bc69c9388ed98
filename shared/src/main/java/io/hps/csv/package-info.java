/** Reading CSV lines (recorded learning curves, CSV datasets). */
package io.hps.csv;
