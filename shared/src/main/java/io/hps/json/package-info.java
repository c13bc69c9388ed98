/** The one configured Jackson mapper every file of the project is read and written with. */
package io.hps.json;
