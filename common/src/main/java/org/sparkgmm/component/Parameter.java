package org.sparkgmm.component;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The parameters EM may change ({@code --update}, scikit-learn's former {@code params}): the
 * letters {@code w}, {@code m} and {@code c}. Those left out keep their starting values.
 */
public enum Parameter {
  /** Component weights. */
  WEIGHTS('w'),
  /** Component means. */
  MEANS('m'),
  /** Covariances. */
  COVARIANCES('c');

  private final char letter;

  Parameter(char letter) {
    this.letter = letter;
  }

  /** The stable one-letter name. */
  public char letter() {
    return letter;
  }

  /**
   * Parses letters such as {@code "wmc"} or {@code "mc"}, in any order.
   *
   * @throws IllegalArgumentException for an empty text, an unknown or a repeated letter
   */
  public static Set<Parameter> parse(String letters) {
    String s = letters == null ? "" : letters.trim().toLowerCase(Locale.ROOT);
    if (s.isEmpty()) {
      throw new IllegalArgumentException("name at least one of w (weights), m (means), c (covariances)");
    }
    EnumSet<Parameter> set = EnumSet.noneOf(Parameter.class);
    for (char ch : s.toCharArray()) {
      Parameter p = null;
      for (Parameter candidate : values()) {
        if (candidate.letter == ch) {
          p = candidate;
        }
      }
      if (p == null) {
        throw new IllegalArgumentException("'" + ch + "' is not one of w (weights), m (means), c (covariances)");
      }
      if (!set.add(p)) {
        throw new IllegalArgumentException("'" + ch + "' is given twice");
      }
    }
    return set;
  }

  /** The letters of a set in the canonical order {@code wmc}. */
  public static String letters(Set<Parameter> set) {
    StringBuilder b = new StringBuilder();
    for (Parameter p : values()) {
      if (set.contains(p)) {
        b.append(p.letter);
      }
    }
    return b.toString();
  }
}
