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
set lmargin at screen 0.065625
set rmargin at screen 0.980469
set tmargin at screen 0.868750
set bmargin at screen 0.090000
set yrange [186.368000:-7.168000]
set ylabel 'time (ms; grey bands: time cut short)'
set grid ytics lc rgb '#e0e0e0'
set key at screen 0.5, screen 0.005 center bottom horizontal box spacing 1.1 width 1 maxrows 4
set ytics ("0" 0.000000, "10" 10.000000, "20" 20.000000, "30" 30.000000, "40" 46.400000, "50" 62.800000, "5050" 99.200000, "8000" 129.200000, "8010" 139.200000, "8020" 149.200000, "9000" 179.200000)
set arrow from 0, graph 0 to 0, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back
set arrow from 1, graph 0 to 1, graph 1 nohead lw 2.5 lc rgb '#5d6d7e' back
set object 1 rect from graph 0, first 66.440000 to graph 1, first 95.560000 fc rgb '#ececec' fs solid 1 noborder behind
set label '5.000 s cut (nothing on the wire)' at first 0.500, first 81.000000 center font ',10' tc rgb '#606060'
set object 2 rect from graph 0, first 102.200000 to graph 1, first 126.200000 fc rgb '#ececec' fs solid 1 noborder behind
set label '2.950 s cut (nothing on the wire)' at first 0.500, first 114.200000 center font ',10' tc rgb '#606060'
set object 3 rect from graph 0, first 152.200000 to graph 1, first 176.200000 fc rgb '#ececec' fs solid 1 noborder behind
set label '980.000 ms cut (nothing on the wire)' at first 0.500, first 164.200000 center font ',10' tc rgb '#606060'
set title 'Ladder diagram: segments between hosts, time running down' . "\n" . ''
plot NaN notitle, \
  'ladder.dat' index 0 using 1:2:3:4 with vectors nohead lw 0.8 lc rgb '#909090' notitle, \
  'ladder.dat' index 1 using 1:2:3:4 with vectors head filled size screen 0.010,20 lw 1.5 lc rgb '#1f5fa8' title 'segment', \
  '' index 1 using 5:($13 > 0 ? $6 : 1e30):7 with labels boxed center font ',10' tc rgb '#1f5fa8' notitle, \
  'ladder.dat' index 2 using 4:2 with points pt 7 ps 0.9 lc rgb '#1b2631' title 'TCP state change', \
  '' index 2 using 1:($8 > 0 ? $7 : 1e30):3 with labels center boxed font ',11' tc rgb '#1b2631' notitle, \
  'ladder.dat' index 3 using 1:($8 > 0 ? 1e30 : $2) with points pt 13 ps 1.1 lc rgb '#1e6b30' title 'socket call (= result)', \
  '' index 3 using 3:($9 > 0 ? $4 : 1e30):5:($8 > 0 ? 0xb03a2e : 0x1e6b30) with labels boxed center font ',10' tc rgb variable notitle

# The same plot as SVG.
set terminal svg size 1280,800 noenhanced font 'Sans,12' linewidth 1.5 background rgb 'white'
set output svg_out
replot
set output
undefine png_out svg_out
