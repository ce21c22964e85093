/**
 * The component contract every part of the engine talks to: a {@link org.sparkgmm.model.Mixture}
 * is weights plus {@link org.sparkgmm.component.ComponentGroup}s (components of one structure, the
 * unit a kernel call evaluates and the unit tied covariances couple), and a group is a product of
 * {@link org.sparkgmm.component.Part}s over disjoint features: a
 * {@link org.sparkgmm.component.GaussianPart} over a block of features (the Gaussian block kernels
 * of {@code distribution}) or an {@link org.sparkgmm.component.IndependentPart} of
 * {@link org.sparkgmm.component.UnivariateFamily} features (exponential families as one GEMM over
 * sufficient statistics). A part evaluates log densities, makes mergeable and scalable
 * {@link org.sparkgmm.component.PartStatistics}, and estimates its parameters from them; the policy
 * shared by every kind (weights, collapse, re-seeding, frozen components) is {@code em.MStep}'s.
 * Also here: single components with their parameters ({@link org.sparkgmm.component.Component},
 * {@link org.sparkgmm.component.Factor}), the structure of a fit
 * ({@link org.sparkgmm.component.ComponentSpec}, {@code --distributions}) and the values a model
 * accepts ({@link org.sparkgmm.component.Support}). No EM control flow and no I/O here.
 */
package org.sparkgmm.component;
