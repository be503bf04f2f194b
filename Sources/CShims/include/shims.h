#ifndef LIASSE_CSHIMS_H
#define LIASSE_CSHIMS_H
/* Claims an inbox file by renaming it without ever replacing an existing name
   (renameat2 with RENAME_NOREPLACE). Returns 0, or -1 with errno set. */
int liasse_rename_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);
/* Flushes the whole file system holding `fd` to disk (syncfs): one call makes a batch of
   files durable, where fsync would take one call per file. Returns 0, or -1 with errno. */
int liasse_syncfs(int fd);
#endif
