package org.sparkgmm.io;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.sparkgmm.errors.BadInputException;

/**
 * Columns that are not numeric, said out loud: a CSV column with one stray word in it is read as
 * strings, so a named feature of that kind fails naming the first stray cell, and a column the
 * default feature choice ("every numeric column") leaves out is named in a warning.
 */
public final class NonNumericColumns {
  private NonNumericColumns() {}

  /**
   * A column left out of the features.
   *
   * @param column its name
   * @param type its Spark type
   * @param values non-null cells (strings only; -1 for other types)
   * @param numbers of those, cells that read as numbers (strings only)
   * @param example a cell that does not read as a number (strings only, else null)
   */
  public record LeftOut(String column, String type, long values, long numbers, String example) {
    /** {@code b (string: 271 of 272 values are numbers; 'oops' is not)}. */
    public String describe() {
      if (values < 0) {
        return "'" + column + "' (" + type + ")";
      }
      if (numbers == 0) {
        return "'" + column + "' (" + type + ", no value is a number)";
      }
      return String.format(Locale.ROOT, "'%s' (%s: %d of %d values are numbers; '%s' is not)", column, type, numbers,
          values, example);
    }

    /** Whether it looks like a numeric column spoiled by a few stray cells (at least half are numbers). */
    public boolean mostlyNumbers() {
      return values > 0 && numbers * 2 >= values;
    }
  }

  /**
   * The table's columns that the default feature choice left out: neither features, weight nor
   * label. String columns are counted in one pass (cells, and cells that read as numbers).
   */
  public static List<LeftOut> leftOut(Dataset<Row> table, FeatureSchema schema) {
    List<StructField> strings = new ArrayList<>();
    List<LeftOut> out = new ArrayList<>();
    Set<String> used = new java.util.HashSet<>(schema.sourceColumns());
    if (schema.weightColumn() != null) {
      used.add(schema.weightColumn());
    }
    if (schema.labelColumn() != null) {
      used.add(schema.labelColumn());
    }
    for (StructField f : table.schema().fields()) {
      if (used.contains(f.name()) || f.dataType() instanceof NumericType) {
        continue;
      }
      if (f.dataType() instanceof StringType) {
        strings.add(f);
      } else {
        out.add(new LeftOut(f.name(), f.dataType().simpleString(), -1, -1, null));
      }
    }
    if (!strings.isEmpty()) {
      List<Column> aggregates = new ArrayList<>();
      for (StructField f : strings) {
        Column c = col(quoted(f.name()));
        Column number = c.try_cast(DataTypes.DoubleType);
        aggregates.add(count(c));
        aggregates.add(count(number));
        aggregates.add(first(when(c.isNotNull().and(number.isNull()), c), true));
      }
      Row r = table.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0])).first();
      for (int i = 0; i < strings.size(); i++) {
        out.add(new LeftOut(strings.get(i).name(), "string", r.getLong(3 * i), r.getLong(3 * i + 1),
            r.isNullAt(3 * i + 2) ? null : r.getString(3 * i + 2)));
      }
    }
    return out;
  }

  /**
   * Refuses a named feature column ({@code flag}) that holds strings, naming the first cell (1-based
   * row in input order) that is not a number. Columns in {@code categorical} may hold strings.
   */
  public static void requireNumbers(Dataset<Row> table, String source, List<String> named, Set<String> categorical,
      String flag) {
    for (StructField f : table.schema().fields()) {
      if (!(f.dataType() instanceof StringType) || !named.contains(f.name()) || categorical.contains(f.name())) {
        continue;
      }
      Column c = col(quoted(f.name()));
      List<scala.Tuple2<Row, Long>> found = table.select(c, c.try_cast(DataTypes.DoubleType)).javaRDD()
          .zipWithIndex().filter(t -> !t._1().isNullAt(0) && t._1().isNullAt(1)).take(1);
      if (found.isEmpty()) {
        continue; // No cell to name (a header-only CSV, say): the schema check says what is wrong.
      }
      throw new BadInputException(String.format(Locale.ROOT, "Column '%s' (%s) in %s is string, not numeric: row %d"
          + " has '%s': fix that value (or convert the column), or choose other columns", f.name(), flag, source,
          found.get(0)._2() + 1, found.get(0)._1().getString(0)));
    }
  }

  private static String quoted(String name) {
    return "`" + name.replace("`", "``") + "`";
  }
}
