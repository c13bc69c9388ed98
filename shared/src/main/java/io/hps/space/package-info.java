/**
 * Search spaces: the parameters of a study, their distributions and conditions, read from JSON files;
 * decoding of unit-cube points and grid enumeration into {@link io.hps.space.Params}.
 */
package io.hps.space;
