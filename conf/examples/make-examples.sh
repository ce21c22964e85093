#!/usr/bin/env bash
# Regenerates the bundled example data sets. Not needed to run anything: the outputs are committed.
#   faithful.csv  Old Faithful geyser eruptions (R's datasets::faithful, 272 rows x 2)
#   iris.csv      Fisher's iris (scikit-learn's bundled copy, 150 rows x 4 + species)
#   *.parquet     the same tables as single Parquet files, written by Spark (CsvToParquet.java)
# Needs: Rscript (Debian r-base-core), /usr/bin/python3 with sklearn (python3-sklearn), Maven.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

Rscript -e "write.csv(datasets::faithful, '$here/faithful.csv', row.names = FALSE, quote = FALSE)"

/usr/bin/python3 - "$here/iris.csv" <<'PY'
import sys
from sklearn.datasets import load_iris
iris = load_iris()
names = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
with open(sys.argv[1], "w") as f:
    f.write(",".join(names + ["species"]) + "\n")
    for row, target in zip(iris.data, iris.target):
        f.write(",".join(repr(float(v)) for v in row) + "," + iris.target_names[target] + "\n")
PY

cd "$root"
mvn -B -q -Dstyle.color=never -DskipTests install
cp_file="$(mktemp)"
mvn -B -q -Dstyle.color=never -pl spark-job dependency:build-classpath -Dmdep.includeScope=compile -Dmdep.outputFile="$cp_file"
cp="$(cat "$cp_file"):$root/spark-job/target/classes"
for name in faithful iris; do
  SPARK_LOCAL_IP=127.0.0.1 java -cp "$cp" $(grep -o '<spark.jvm.flags>.*</spark.jvm.flags>' pom.xml | sed 's/<[^>]*>//g') \
    "$here/CsvToParquet.java" "$here/$name.csv" "$here/$name.parquet"
done
rm -f "$cp_file"
