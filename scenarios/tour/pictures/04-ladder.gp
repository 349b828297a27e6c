# ladder.gp: ladder diagram, one column per host, time running down, one arrow per segment
# Written by twsim. The data is in ladder.dat (plain columns, described in its
# header). Edit freely and rerun `gnuplot ladder.gp`: it writes ladder.png and
# ladder.svg (twsim passes temporary names in png_out and svg_out).
reset
if (!exists("png_out")) png_out = 'ladder.png'
if (!exists("svg_out")) svg_out = 'ladder.svg'
set encoding utf8
if (strstrt(GPVAL_TERMINALS, ' pngcairo ') > 0) {
  set terminal pngcairo size 1280,800 noenhanced font 'Sans,12' linewidth 1.5
} else {
  set terminal png size 1280,800 noenhanced
}
set output png_out
set title 'Ladder diagram: segments between hosts, time running down' font ',16'
set style textbox opaque noborder margins 1,1
unset xtics
set x2tics scale 0 font ',14' ('client' 0, 'server' 1)
set xrange [-0.8:1.8]
set x2range [-0.8:1.8]
set yrange [678.166008:-26.083308]
set ylabel 'time (ms; grey bands: idle time cut short)'
set grid ytics lc rgb '#e0e0e0'
set key below horizontal box spacing 1.2 width 1
set ytics ("0" 0.000000, "50" 50.000000, "100" 100.000000, "150" 150.000000, "200" 200.000000, "500" 352.806830, "720" 407.111700, "1000" 459.582700, "2105" 557.082700, "2150" 602.082700, "2200" 652.082700)
set arrow from 0, graph 0 to 0, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back
set arrow from 1, graph 0 to 1, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back
set object 1 rect from graph 0, first 311.294330 to graph 1, first 338.969330 fc rgb '#ececec' fs solid 1 noborder behind
set label '270.000 ms cut (nothing on the wire)' at graph 0.5, first 325.131830 center font ',10' tc rgb '#606060'
set object 2 rect from graph 0, first 366.383047 to graph 1, first 393.535483 fc rgb '#ececec' fs solid 1 noborder behind
set label '220.000 ms cut (nothing on the wire)' at graph 0.5, first 379.959265 center font ',10' tc rgb '#606060'
set object 3 rect from graph 0, first 427.729450 to graph 1, first 448.964950 fc rgb '#ececec' fs solid 1 noborder behind
set label '270.000 ms cut (nothing on the wire)' at graph 0.5, first 438.347200 center font ',10' tc rgb '#606060'
set object 4 rect from graph 0, first 506.457700 to graph 1, first 540.207700 fc rgb '#ececec' fs solid 1 noborder behind
set label '1.075 s cut (nothing on the wire)' at graph 0.5, first 523.332700 center font ',10' tc rgb '#606060'
set title 'Ladder diagram: segments between hosts, time running down' . "\n" . '(1 label hidden where arrows are too close: see ladder.dat, or use --from/--to)'
plot NaN notitle, \
  'ladder.dat' index 0 using 1:2:3:4 with vectors head filled size screen 0.010,20 lw 1.5 lc rgb '#1f5fa8' title 'segment', \
  '' index 0 using 5:($13 > 0 ? $6 : NaN):7 with labels boxed center font ',10' tc rgb '#1f5fa8' notitle, \
  'ladder.dat' index 1 using 1:2:3:4 with vectors head filled size screen 0.010,20 lw 2 dt 4 lc rgb '#8e44ad' title 'duplicate (link copy)', \
  '' index 1 using 5:($13 > 0 ? $6 : NaN):7 with labels boxed center font ',10' tc rgb '#8e44ad' notitle, \
  'ladder.dat' index 2 using 1:2:3:4 with vectors head filled size screen 0.013,20 lw 3.5 lc rgb '#d4001a' title 'stale (older incarnation)', \
  '' index 2 using 5:($13 > 0 ? $6 : NaN):7 with labels boxed center font ',11' tc rgb '#d4001a' notitle, \
  'ladder.dat' index 3 using 4:2 with points pt 7 ps 0.9 lc rgb '#1b2631' title 'TCP state change', \
  '' index 3 using 1:7:3 with labels right font ',11' tc rgb '#1b2631' notitle, \
  'ladder.dat' index 4 using 4:2 with points pt 7 ps 0.9 lc rgb '#1b2631' notitle, \
  '' index 4 using 1:7:3 with labels left font ',11' tc rgb '#1b2631' notitle, \
  'ladder.dat' index 5 using 1:2 with points pt 6 ps 3.5 lw 3 lc rgb '#e6007e' title 'stale bytes accepted', \
  'ladder.dat' index 6 using 1:2 with points pt 3 ps 4 lw 3 lc rgb '#e6007e' title 'corruption (stale bytes read)', \
  '' index 6 using 4:5:6 with labels boxed center font ',12' tc rgb '#e6007e' notitle

# The same plot as SVG.
set terminal svg size 1280,800 noenhanced font 'Sans,12' linewidth 1.5 background rgb 'white'
set output svg_out
replot
set output
undefine png_out svg_out
