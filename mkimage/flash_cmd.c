/* The command line of --write-device: which image (a file, or the one the
 * settings describe, built in memory), which combinations make no sense,
 * and the --inspect report of the device once it is written. */
#include "mk_flash.h"
#include "mk.h"
#include "mk_opts.h"
#include "mk_plan.h"

#include <stdio.h>
#include <stdlib.h>

int mk_flash_command(const struct mk_flash_cmd *c, struct mk_opts *cmd, int nargs, char **args)
{
    const char *bad = !c->o.device ? "--yes and --allow-fixed go with --write-device DEV"
                    : c->other_mode ? "--write-device does not combine with --print-layout or --inspect"
                    : cmd->output ? "--write-device writes to the device, not to -o"
                    : nargs > 1 ? "--write-device takes one image"
                    : nargs == 1 && (c->recipe || c->nset) ? "give an image file or build settings (-c RECIPE ...), not both"
                    : nargs == 0 && !c->recipe && !c->nset ? "--write-device DEV needs an image (or -c RECIPE)" : NULL;
    if (bad) {
        mk_error(NULL, "%s; see --help", bad);
        mk_opts_free(cmd);
        return MK_EXIT_USAGE;
    }
    int r;
    if (nargs == 1) {
        mk_opts_free(cmd);
        r = mk_flash_file(args[0], &c->o);
    } else {
        struct mk_opts opts;
        mk_opts_init(&opts);
        if (c->recipe && (r = mk_recipe_load(&opts, c->recipe)) != 0) {
            mk_opts_free(cmd);
            mk_opts_free(&opts);
            return r;
        }
        mk_opts_merge(&opts, cmd);
        free(opts.output);      /* the recipe's output file is not written */
        opts.output = NULL;
        struct mk_plan plan;
        r = mk_plan_make(&plan, &opts);
        if (r == MK_EXIT_OK) {
            struct mk_image img = { 0 };
            mk_plan_render(&plan, &img);
            /* the modules' hashes and the identifiers derived from every
             * input are filled in here, as before an image file's write */
            r = mk_plan_finish(&plan, &img) ? MK_EXIT_FAIL : MK_EXIT_OK;
            if (r == MK_EXIT_OK)
                r = mk_flash_image(&img, c->recipe ? c->recipe : "command line", &c->o);
            mk_image_free(&img);
        }
        mk_plan_free(&plan);
        mk_opts_free(&opts);
    }
    if (r == MK_EXIT_OK) {
        printf("\n");
        fflush(stdout);
        r = c->inspect(c->o.device);
    }
    return r;
}
