/** Workers on a SLURM cluster: the job-array batch script, sbatch/squeue/scancel, and the jobs a study has. */
package io.hps.slurm;
