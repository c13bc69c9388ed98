/**
 * The trainers that use DeepLearning4J: the exercise CNN (op by op on ND4J's oneDNN natives) and the
 * BUTTER dense nets. DL4J and ND4J types never leave this package.
 */
package io.hps.dl4j;
