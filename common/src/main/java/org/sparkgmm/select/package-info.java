/** Model selection criteria (BIC, AIC). No fitting here. */
package org.sparkgmm.select;
