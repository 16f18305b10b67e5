/* Keeps mail sockets below FD_SETSIZE (libetpan waits on them with select()). */
#ifndef MAIL_LOWFD_H
#define MAIL_LOWFD_H

/* Returns fd itself when it is below FD_SETSIZE, else the same socket moved
   onto a reserved low descriptor (fd is closed), or -1 (fd closed, errno
   EMFILE) when no low descriptor is left. */
int lowfd_move(int fd);

#endif
