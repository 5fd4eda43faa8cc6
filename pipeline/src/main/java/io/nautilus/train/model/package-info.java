/**
 * Models the training engine trains, behind the {@link io.nautilus.train.model.TrainModel}
 * interface.
 */
package io.nautilus.train.model;
