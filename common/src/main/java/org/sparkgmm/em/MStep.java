package org.sparkgmm.em;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.sparkgmm.component.ComponentGroup;
import org.sparkgmm.component.Estimation;
import org.sparkgmm.component.MixtureStatistics;
import org.sparkgmm.component.Parameter;
import org.sparkgmm.component.Regularisation;
import org.sparkgmm.model.Mixture;

/**
 * The M-step: new weights from the merged statistics' masses, and each component group's new
 * parameters from its own statistics ({@link ComponentGroup#estimate}: maximum likelihood per
 * part). This class holds the policy that is the same for every kind of component.
 *
 * <p>Weights: {@code w_c = N_c / sum N}. A component whose mass {@code N_c} falls below the
 * collapse threshold gets the next worst-explained row as its location (Gaussian means; Normal,
 * LogNormal and Student-t locations), the pooled spread of the components that were estimated, and
 * weight {@code 1/k}, the survivors' weights scaled to fill the rest. With means held fixed a
 * collapsed component keeps its parameters. A frozen component (pomegranate's {@code frozen})
 * keeps its parameters whatever its mass; its weight follows {@code w}.
 */
public final class MStep {
  private MStep() {}

  /** The new model and which components were re-seeded. */
  public record Result(Mixture model, List<Integer> reseeded) {
    /** Copies the list. */
    public Result {
      reseeded = List.copyOf(reseeded);
    }
  }

  /** What an M-step may change, beyond the statistics. */
  public record Options(Regularisation reg, Set<Parameter> update, double collapseBelow, List<double[]> reseedRows,
      boolean[] frozen, double pseudocount) {
    /** Copies the collections. */
    public Options {
      update = Set.copyOf(update);
      reseedRows = List.copyOf(reseedRows);
    }
  }

  /**
   * Updates every parameter; a component without any responsibility is an error.
   *
   * @param previous the model the statistics were gathered with
   * @throws IllegalStateException naming the component and the cure when a component received no
   *     responsibility at all, or an estimate is not a valid parameter (a covariance not positive
   *     definite even with {@code regCovar})
   */
  public static Mixture update(Mixture previous, MixtureStatistics s, double regCovar) {
    return update(previous, s, new Options(Regularisation.absolute(regCovar), EnumSet.allOf(Parameter.class), 0.0, List.of(),
        new boolean[previous.components()], 0.0)).model();
  }

  /**
   * Updates the parameters in {@code update}, re-seeding collapsed components.
   *
   * @param collapseBelow a component with {@code N_k} below this (or not positive) has collapsed
   * @param reseedRows rows to re-seed collapsed components at, worst explained first; when there are
   *     fewer than the collapsed components, the rest is an error
   */
  public static Result update(Mixture previous, MixtureStatistics s, double regCovar, Set<Parameter> update,
      double collapseBelow, List<double[]> reseedRows) {
    return update(previous, s, new Options(Regularisation.absolute(regCovar), update, collapseBelow, reseedRows,
        new boolean[previous.components()], 0.0));
  }

  /**
   * The M-step with every option.
   *
   * @throws IllegalStateException when a collapsed component cannot be re-seeded, or an estimate is
   *     not a valid parameter
   */
  public static Result update(Mixture previous, MixtureStatistics s, Options o) {
    int k = previous.components();
    boolean newWeights = o.update().contains(Parameter.WEIGHTS);
    boolean newMeans = o.update().contains(Parameter.MEANS);
    double[] mass = new double[k];
    double total = 0.0;
    for (int c = 0; c < k; c++) {
      mass[c] = s.mass(c);
      total += mass[c];
    }
    boolean[] keep = new boolean[k];
    double[][] reseedAt = new double[k][];
    List<Integer> reseeded = new ArrayList<>();
    double[] weights = newWeights ? new double[k] : previous.weights();
    for (int c = 0; c < k; c++) {
      if (newWeights) {
        weights[c] = mass[c] / total;
      }
      boolean collapsed = !(mass[c] > 0.0) || mass[c] < o.collapseBelow();
      keep[c] = o.frozen()[c];
      if (!collapsed || keep[c]) {
        continue;
      }
      if (!newMeans) {
        keep[c] = true;
        continue;
      }
      if (reseeded.size() >= o.reseedRows().size()) {
        throw new IllegalStateException("Component " + c + " received no responsibility (its weight collapsed"
            + " to " + mass[c] / total + "): use fewer components or another seed");
      }
      reseedAt[c] = o.reseedRows().get(reseeded.size()).clone();
      reseeded.add(c);
    }
    List<ComponentGroup> groups = new ArrayList<>();
    for (int g = 0; g < previous.groups().size(); g++) {
      ComponentGroup group = previous.groups().get(g);
      int first = previous.firstComponent(g);
      int kg = group.components();
      boolean[] keepG = new boolean[kg];
      double[][] atG = new double[kg][];
      for (int c = 0; c < kg; c++) {
        keepG[c] = keep[first + c];
        atG[c] = reseedAt[first + c];
      }
      groups.add(group.estimate(s.group(g), new Estimation(o.reg(), o.update(), keepG, atG, o.pseudocount())));
    }
    if (!reseeded.isEmpty() && newWeights) {
      double survivors = 1.0 - (double) reseeded.size() / k;
      double kept = 0.0;
      for (int c = 0; c < k; c++) {
        kept += reseeded.contains(c) ? 0.0 : weights[c];
      }
      for (int c = 0; c < k; c++) {
        weights[c] = reseeded.contains(c) ? 1.0 / k : weights[c] * survivors / kept;
      }
    }
    return new Result(previous.withParameters(weights, groups), reseeded);
  }
}
