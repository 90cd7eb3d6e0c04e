const char *answer(void);
