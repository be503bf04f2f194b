#ifndef LIASSE_CSHIMS_H
#define LIASSE_CSHIMS_H
/* Claims an inbox file by renaming it without ever replacing an existing name
   (renameat2 with RENAME_NOREPLACE). Returns 0, or -1 with errno set. */
int liasse_rename_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
#endif
