# mclust's fits for the reference scripts (make_init_reference.py, ../select/make_select_reference.py).
# Usage: Rscript mclust_reference.R DATA.csv G1,G2,... MODEL1,MODEL2,... > out.csv
# DATA.csv has a header and numeric columns only. For every G and model it runs Mclust with its
# defaults (model-based hierarchical agglomeration on SVD-transformed data as the start, no prior)
# and prints G, model, log-likelihood, BIC (mclust's sign: 2 logL - df log n, higher is better),
# df and n; a model mclust cannot fit prints NA.
suppressPackageStartupMessages(library(mclust))
args <- commandArgs(trailingOnly = TRUE)
x <- as.matrix(read.csv(args[1]))
gs <- as.integer(strsplit(args[2], ",")[[1]])
models <- strsplit(args[3], ",")[[1]]
cat("G,model,loglik,bic,df,n\n")
for (g in gs) {
  for (m in models) {
    fit <- tryCatch(Mclust(x, G = g, modelNames = m, verbose = FALSE), error = function(e) NULL)
    if (is.null(fit)) {
      cat(sprintf("%d,%s,NA,NA,NA,%d\n", g, m, nrow(x)))
    } else {
      cat(sprintf("%d,%s,%.12g,%.12g,%d,%d\n", g, m, fit$loglik, fit$bic, fit$df, nrow(x)))
    }
  }
}
