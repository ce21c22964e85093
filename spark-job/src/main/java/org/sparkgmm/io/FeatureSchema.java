package org.sparkgmm.io;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.functions;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.sparkgmm.errors.BadInputException;

/**
 * Which input columns are the features and the weight, checked against the input's schema, and
 * the projection that turns any accepted input into {@code (features..., weight?)} of doubles
 * (numeric columns) or {@code (array<double>, weight?)} (a vector or array column).
 */
public final class FeatureSchema implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> names;
  private final List<String> sourceColumns;
  private final boolean arrayColumn;
  private final String weightColumn;
  private final String labelColumn;
  /** String feature columns read as category codes: name to its labels, code i is label i. */
  private final Map<String, List<String>> categories;

  private FeatureSchema(List<String> names, List<String> sourceColumns, boolean arrayColumn, String weightColumn,
      String labelColumn, Map<String, List<String>> categories) {
    this.names = names;
    this.sourceColumns = sourceColumns;
    this.arrayColumn = arrayColumn;
    this.weightColumn = weightColumn;
    this.labelColumn = labelColumn;
    this.categories = categories;
  }

  /**
   * The same columns with string features read as category codes: column {@code name} holding label
   * {@code labels.get(i)} reads as code {@code i}, a label not in the list as code -1 (invalid),
   * null as null.
   *
   * @throws BadInputException when a named column is not a feature of this schema
   */
  public FeatureSchema withCategories(Map<String, List<String>> labels) {
    for (String name : labels.keySet()) {
      if (arrayColumn || !names.contains(name)) {
        throw new BadInputException("Column '" + name + "' holds category labels but is not a feature column");
      }
    }
    return new FeatureSchema(names, sourceColumns, arrayColumn, weightColumn, labelColumn, Map.copyOf(labels));
  }

  /** String feature columns read as category codes, with their labels in code order. */
  public Map<String, List<String>> categories() {
    return categories;
  }

  /**
   * Checks the requested columns against the schema.
   *
   * @param features numeric columns, or empty for every numeric column except the weight and the label
   * @param featuresCol a vector or array column, or null
   * @param labelCol a column of component labels (strings or numbers), or null
   * @param dimension for {@code featuresCol}: the vector length (from the first row), else ignored
   * @throws BadInputException naming the missing or non-numeric column and the columns there are
   */
  public static FeatureSchema of(StructType schema, String source, List<String> features, String featuresCol,
      String weightCol, String labelCol, int dimension) {
    return of(schema, source, features, featuresCol, weightCol, labelCol, dimension, java.util.Set.of());
  }

  /**
   * As {@link #of(StructType, String, List, String, String, String, int)}, with the features in
   * {@code strings} (categorical ones) also allowed to be string columns; give their labels with
   * {@link #withCategories}.
   */
  public static FeatureSchema of(StructType schema, String source, List<String> features, String featuresCol,
      String weightCol, String labelCol, int dimension, java.util.Set<String> strings) {
    if (weightCol != null) {
      requireNumeric(schema, source, weightCol, "--weight-col");
    }
    if (labelCol != null) {
      DataType t = field(schema, source, labelCol, "--label-col").dataType();
      if (t instanceof ArrayType || t instanceof StructType || t instanceof MapType
          || t.equals(SQLDataTypes.VectorType())) {
        throw new BadInputException("Column '" + labelCol + "' (--label-col) in " + source + " is " + t.simpleString()
            + ": labels must be strings or numbers");
      }
    }
    if (featuresCol != null) {
      StructField f = field(schema, source, featuresCol, "--features-col");
      DataType t = f.dataType();
      boolean ok = t.equals(SQLDataTypes.VectorType())
          || (t instanceof ArrayType a && a.elementType() instanceof NumericType);
      if (!ok) {
        throw new BadInputException("Column '" + featuresCol + "' in " + source + " is " + t.simpleString()
            + ", not a vector or array of numbers: --features-col needs a Spark ML vector or array<double> column");
      }
      List<String> names = new ArrayList<>();
      for (int j = 0; j < dimension; j++) {
        names.add(featuresCol + "[" + j + "]");
      }
      return new FeatureSchema(List.copyOf(names), List.of(featuresCol), true, weightCol, labelCol, Map.of());
    }
    List<String> chosen = new ArrayList<>();
    if (features.isEmpty()) {
      for (StructField f : schema.fields()) {
        if (f.dataType() instanceof NumericType && !f.name().equals(weightCol)
            && !f.name().equals(labelCol)) {
          chosen.add(f.name());
        }
      }
      if (chosen.isEmpty()) {
        throw new BadInputException("Input " + source + " has no numeric column to use as a feature (columns: "
            + describe(schema) + "): name them with --features or --features-col");
      }
    } else {
      for (String name : features) {
        if (!(strings.contains(name) && field(schema, source, name, "--distributions").dataType() instanceof StringType)) {
          requireNumeric(schema, source, name, strings.isEmpty() ? "--features" : "--distributions");
        }
        chosen.add(name);
      }
    }
    return new FeatureSchema(List.copyOf(chosen), List.copyOf(chosen), false, weightCol, labelCol, Map.of());
  }

  private static StructField field(StructType schema, String source, String name, String flag) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new BadInputException("Column '" + name + "' (" + flag + ") is not in " + source + "; its columns are: "
        + describe(schema));
  }

  private static void requireNumeric(StructType schema, String source, String name, String flag) {
    StructField f = field(schema, source, name, flag);
    if (!(f.dataType() instanceof NumericType)) {
      throw new BadInputException("Column '" + name + "' (" + flag + ") in " + source + " is "
          + f.dataType().simpleString() + ", not numeric: convert it or choose other columns");
    }
  }

  private static String describe(StructType schema) {
    List<String> parts = new ArrayList<>();
    for (StructField f : schema.fields()) {
      parts.add(f.name() + " " + f.dataType().simpleString());
    }
    return String.join(", ", parts);
  }

  /** The projection: feature doubles (or one array&lt;double&gt;), then the weight if any, then the label as a string. */
  public Dataset<Row> project(Dataset<Row> input) {
    return input.select(columns(input).toArray(new Column[0]));
  }

  /** The columns of {@link #project}, to select next to others. */
  public List<Column> columns(Dataset<Row> input) {
    List<Column> cols = new ArrayList<>();
    if (arrayColumn) {
      Column c = quoted(sourceColumns.get(0));
      boolean vector = input.schema().apply(sourceColumns.get(0)).dataType().equals(SQLDataTypes.VectorType());
      cols.add(vector ? functions.vector_to_array(c, "float64") : c.cast(DataTypes.createArrayType(DataTypes.DoubleType)));
    } else {
      for (String s : sourceColumns) {
        List<String> labels = categories.get(s);
        if (labels == null) {
          cols.add(quoted(s).cast(DataTypes.DoubleType));
        } else {
          Column[] known = labels.stream().map(org.apache.spark.sql.functions::lit).toArray(Column[]::new);
          cols.add(org.apache.spark.sql.functions.array_position(org.apache.spark.sql.functions.array(known), quoted(s))
              .minus(1).cast(DataTypes.DoubleType));
        }
      }
    }
    if (weightColumn != null) {
      cols.add(quoted(weightColumn).cast(DataTypes.DoubleType));
    }
    if (labelColumn != null) {
      cols.add(quoted(labelColumn).cast(DataTypes.StringType));
    }
    return cols;
  }

  static Column quoted(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  /** Feature names, in model order. */
  public List<String> names() {
    return names;
  }

  /** Number of features d. */
  public int dimension() {
    return names.size();
  }

  /** True when the features come from one vector or array column. */
  public boolean fromArrayColumn() {
    return arrayColumn;
  }

  /** The weight column, or null. */
  /** The input columns the features are read from (one, for a vector or array column). */
  public List<String> sourceColumns() {
    return sourceColumns;
  }

  public String weightColumn() {
    return weightColumn;
  }

  /** The label column, or null. */
  public String labelColumn() {
    return labelColumn;
  }

  /** The vector/array column (when {@link #fromArrayColumn()}), else null. */
  public String arrayColumnName() {
    return arrayColumn ? sourceColumns.get(0) : null;
  }
}
